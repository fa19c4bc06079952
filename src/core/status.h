// Status and Result<T>: how every expected failure is returned (see STYLE.md).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace govqm {

// A small fixed set of codes. kInvalidInput: the user's data or arguments are wrong (exit 1).
// kUsage: the command line is wrong (exit 2). kNotFound: a named thing does not exist.
// kIo: a file or the store could not be read or written. kInternal: a bug.
enum class StatusCode { kOk, kInvalidInput, kUsage, kNotFound, kIo, kInternal };

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status Invalid(std::string m) { return {StatusCode::kInvalidInput, std::move(m)}; }
  static Status Usage(std::string m) { return {StatusCode::kUsage, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Io(std::string m) { return {StatusCode::kIo, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-ok Status.
template <typename T>
class Result {
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

 private:
  std::optional<T> value_;
  Status status_;
};

#define GOVQM_RETURN_IF_ERROR(expr)        \
  do {                                     \
    ::govqm::Status _st = (expr);          \
    if (!_st.ok()) return _st;             \
  } while (0)

}  // namespace govqm
