// A signed file: a payload with its signer, its SHA-256 and an Ed25519 signature (the format
// of govqm's partials files, docs/FEDERATION.md). Text, so it can be read and mailed:
//
//   govqm-signed 1 CONTENT            CONTENT: what the payload is ("partials")
//   signer NAME                        the key's name (security/signing.h)
//   public-key HEX                     its public key, 64 lowercase hex digits
//   payload-sha256 HEX                 SHA-256 of the payload, 64 lowercase hex digits
//   payload-bytes N                    the payload's length in bytes
//   (an empty line)
//   PAYLOAD                            exactly N bytes, then a line end
//   signature HEX                      128 lowercase hex digits, then a line end; nothing after
//
// The signature is the detached Ed25519 signature of every byte before "signature " (the
// header lines, the payload and its line end): a change of any byte of the file — header,
// payload or signature — makes it fail. Hex is lowercase only, so no byte can change while
// the meaning stays.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "security/signing.h"

namespace govqm::security {

// The signed file of `payload` under `key`.
std::string SealEnvelope(const SigningKey& key, std::string_view content, std::string_view payload);

struct OpenedEnvelope {
  std::string signer;            // the name in the file (equal to the trusted key's)
  PublicKey key;
  const TrustedKey* trusted = nullptr;  // into the TrustedKeys given
  std::string payload_sha256;    // hex: the payload's digest (equal files have equal ones)
  std::string_view payload;      // into the text given
};

// The payload of the signed file `text` (named `where` in errors) when it holds `content`, its
// digest matches, it is signed by one of `trusted` under the name that key has there, and the
// signature verifies. kInvalidInput for a file that is not one, holds something else, or was
// altered ("WHERE: ... the file was altered"); kPermissionDenied for a signer that is not
// trusted (a key no .pub in the trust directory holds, or a trusted key under another name).
Result<OpenedEnvelope> OpenEnvelope(std::string_view text, std::string_view content,
                                    const TrustedKeys& trusted, const std::string& where);

}  // namespace govqm::security
