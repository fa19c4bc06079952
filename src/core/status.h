// Status and Result<T>: how every expected failure is returned (see STYLE.md).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace govqm {

// A small fixed set of codes, each with one rule (edges map them: the CLI to exit codes, the
// server to HTTP statuses — one function each).
//   kInvalidInput        the user's data or arguments are wrong (exit 1; HTTP 400).
//   kUsage               the command line is wrong (exit 2; HTTP 400).
//   kNotFound            a named thing does not exist (exit 1; HTTP 404).
//   kAlreadyExists       the thing to create is there already (exit 1; HTTP 409).
//   kPermissionDenied    the caller is known but may not do this (exit 1; HTTP 403).
//   kUnauthenticated     the caller is not known (exit 1; HTTP 401).
//   kFailedPrecondition  the system is not in a state that allows this — a case step out of
//                        order, a store that needs migrating but is read-only (exit 1; HTTP 409).
//   kIo                  a file or the store could not be read or written (exit 1; HTTP 500).
//   kInternal            a bug (exit 1; HTTP 500).
enum class StatusCode {
  kOk,
  kInvalidInput,
  kUsage,
  kNotFound,
  kIo,
  kInternal,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kFailedPrecondition,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status Invalid(std::string m) { return {StatusCode::kInvalidInput, std::move(m)}; }
  static Status Usage(std::string m) { return {StatusCode::kUsage, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status Unauthenticated(std::string m) {
    return {StatusCode::kUnauthenticated, std::move(m)};
  }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Io(std::string m) { return {StatusCode::kIo, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Explicitly drops a status whose failure the caller does not care about (a best-effort
  // rollback, a cleanup): says so at the call site, instead of a silent discard.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

#define GOVQM_RETURN_IF_ERROR(expr)        \
  do {                                     \
    ::govqm::Status _st = (expr);          \
    if (!_st.ok()) return _st;             \
  } while (0)

#define GOVQM_STATUS_CONCAT_INNER(a, b) a##b
#define GOVQM_STATUS_CONCAT(a, b) GOVQM_STATUS_CONCAT_INNER(a, b)

// GOVQM_ASSIGN_OR_RETURN(auto x, F()); or GOVQM_ASSIGN_OR_RETURN(existing, F());
// Evaluates F() (a Result<T>); on failure returns its status from the enclosing function,
// otherwise moves the value into the left-hand side. Never an unchecked value().
#define GOVQM_ASSIGN_OR_RETURN(lhs, expr) \
  GOVQM_ASSIGN_OR_RETURN_IMPL(GOVQM_STATUS_CONCAT(_govqm_result_, __LINE__), lhs, expr)
#define GOVQM_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                                \
  if (!result.ok()) return result.status();            \
  lhs = std::move(result).value()

}  // namespace govqm
