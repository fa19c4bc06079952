#include "security/signed_envelope.h"

#include <fmt/format.h>
#include <sodium.h>

#include <charconv>

#include "security/secrets.h"

namespace govqm::security {
namespace {

constexpr std::string_view kMagic = "govqm-signed 1 ";
constexpr std::string_view kSignatureField = "signature ";

// Reads lines off the front of a file's text, naming the line in errors.
class LineReader {
 public:
  LineReader(std::string_view text, const std::string& where) : text_(text), where_(where) {}

  // The value of the next line "FIELD VALUE"; kInvalidInput when the line is another.
  Result<std::string_view> Field(std::string_view field) {
    ++line_;
    const size_t end = text_.find('\n', pos_);
    const std::string_view line =
        text_.substr(pos_, end == std::string_view::npos ? std::string_view::npos : end - pos_);
    if (end == std::string_view::npos || !line.starts_with(field) || line.size() <= field.size() ||
        line[field.size()] != ' ') {
      return Status::Invalid(fmt::format("{}: line {}: expected '{} ...' (not a whole govqm "
                                         "signed file)",
                                         where_, line_, field));
    }
    pos_ = end + 1;
    return line.substr(field.size() + 1);
  }
  // An empty line.
  Status Blank() {
    ++line_;
    if (pos_ >= text_.size() || text_[pos_] != '\n') {
      return Status::Invalid(fmt::format("{}: line {}: expected an empty line", where_, line_));
    }
    ++pos_;
    return Status::Ok();
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view text_;
  const std::string& where_;
  size_t pos_ = 0;
  int line_ = 0;
};

bool IsLowerHex(std::string_view s, size_t digits) {
  if (s.size() != digits) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string Hex(std::string_view bytes) {
  std::string hex(2 * bytes.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  hex.pop_back();
  return hex;
}

}  // namespace

std::string SealEnvelope(const SigningKey& key, std::string_view content, std::string_view payload) {
  std::string out = fmt::format(
      "{}{}\nsigner {}\npublic-key {}\npayload-sha256 {}\npayload-bytes {}\n\n", kMagic, content,
      key.name(), key.public_key().Hex(), Sha256Hex(payload), payload.size());
  out.reserve(out.size() + payload.size() + 1 + kSignatureField.size() + 2 * kSignatureBytes + 1);
  out += payload;
  out += '\n';
  const std::string signature = key.Sign(out);
  out += kSignatureField;
  out += Hex(signature);
  out += '\n';
  return out;
}

Result<OpenedEnvelope> OpenEnvelope(std::string_view text, std::string_view content,
                                    const TrustedKeys& trusted, const std::string& where) {
  if (!text.starts_with(kMagic)) {
    const std::string_view start = text.substr(0, text.find('\n')).substr(0, 40);
    return Status::Invalid(
        fmt::format("{}: not a govqm signed file (it begins '{}')", where, start));
  }
  LineReader lines(text, where);
  GOVQM_ASSIGN_OR_RETURN(const std::string_view held, lines.Field("govqm-signed 1"));
  if (held != content) {
    return Status::Invalid(fmt::format("{}: holds {}, not {}", where, held, content));
  }
  OpenedEnvelope opened;
  GOVQM_ASSIGN_OR_RETURN(const std::string_view signer, lines.Field("signer"));
  opened.signer = std::string(signer);
  GOVQM_ASSIGN_OR_RETURN(const std::string_view key_hex, lines.Field("public-key"));
  GOVQM_ASSIGN_OR_RETURN(opened.key,
                         PublicKey::FromHex(key_hex, fmt::format("{}: public-key", where)));
  GOVQM_ASSIGN_OR_RETURN(const std::string_view digest, lines.Field("payload-sha256"));
  if (!IsLowerHex(digest, 64)) {
    return Status::Invalid(
        fmt::format("{}: payload-sha256 is not 64 lowercase hex digits", where));
  }
  GOVQM_ASSIGN_OR_RETURN(const std::string_view length_text, lines.Field("payload-bytes"));
  size_t length = 0;
  const auto parsed =
      std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
  if (parsed.ec != std::errc() || parsed.ptr != length_text.data() + length_text.size() ||
      (length_text.size() > 1 && length_text[0] == '0')) {
    return Status::Invalid(
        fmt::format("{}: payload-bytes '{}' is not a length in bytes", where, length_text));
  }
  GOVQM_RETURN_IF_ERROR(lines.Blank());
  const size_t start = lines.pos();
  if (text.size() - start < length + 1 || text[start + length] != '\n') {
    return Status::Invalid(fmt::format(
        "{}: the payload is not {} bytes followed by a line end: the file was cut or altered",
        where, length));
  }
  opened.payload = text.substr(start, length);
  const size_t signed_end = start + length + 1;
  const std::string_view signature_line = text.substr(signed_end);
  if (!signature_line.starts_with(kSignatureField) ||
      signature_line.size() != kSignatureField.size() + 2 * kSignatureBytes + 1 ||
      signature_line.back() != '\n' ||
      !IsLowerHex(signature_line.substr(kSignatureField.size(), 2 * kSignatureBytes),
                  2 * kSignatureBytes)) {
    return Status::Invalid(fmt::format(
        "{}: the payload is not followed by exactly one line 'signature HEX' ({} lowercase hex "
        "digits): the file was cut or altered",
        where, 2 * kSignatureBytes));
  }
  opened.payload_sha256 = Sha256Hex(opened.payload);
  if (opened.payload_sha256 != digest) {
    return Status::Invalid(fmt::format(
        "{}: the payload's SHA-256 is not the one the file gives: the file was altered", where));
  }
  opened.trusted = trusted.Find(opened.key);
  if (opened.trusted == nullptr) {
    return Status::PermissionDenied(fmt::format(
        "{}: signed by '{}' with a key no .pub file in {} holds (public key {}): not trusted",
        where, opened.signer, trusted.dir(), opened.key.Hex()));
  }
  if (opened.trusted->name != opened.signer) {
    return Status::PermissionDenied(
        fmt::format("{}: names its signer '{}', but its key is '{}' in {}: not trusted", where,
                    opened.signer, opened.trusted->name, opened.trusted->file));
  }
  unsigned char signature[kSignatureBytes];
  size_t decoded = 0;
  const std::string_view sig_hex = signature_line.substr(kSignatureField.size(), 2 * kSignatureBytes);
  if (sodium_hex2bin(signature, sizeof signature, sig_hex.data(), sig_hex.size(), nullptr,
                     &decoded, nullptr) != 0 ||
      decoded != sizeof signature ||
      !VerifySignature(opened.key, text.substr(0, signed_end),
                       std::string_view(reinterpret_cast<const char*>(signature), decoded))) {
    return Status::Invalid(fmt::format(
        "{}: the signature does not verify with the key of '{}' ({}): the file was altered "
        "after signing",
        where, opened.signer, opened.trusted->file));
  }
  return opened;
}

}  // namespace govqm::security
