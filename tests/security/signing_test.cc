// Federation's signatures (service.md §11): Ed25519 key files, the trust directory and the
// signed envelope. Expected values come from RFC 8032's test vectors and from the file
// formats of security/signing.h and signed_envelope.h, never from output.
#include "security/signing.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "security/signed_envelope.h"

namespace govqm::security {
namespace {

namespace fs = std::filesystem;

// RFC 8032 §7.1, TEST 1: the secret key (seed), its public key and the signature of the
// empty message.
constexpr const char* kRfcSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr const char* kRfcPublic =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr const char* kRfcSignature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701c"
    "f9b46bd25bf5f0595bbe24655141438e7a100b";
// RFC 8032 §7.1, TEST 2: one byte, 0x72.
constexpr const char* kRfc2Seed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
constexpr const char* kRfc2Public =
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
constexpr const char* kRfc2Signature =
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0"
    "f11d8c387b2eaeb4302aeeb00d291612bb0c00";

std::string Hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

class SigningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("govqm_signing_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  void Write(const std::string& name, const std::string& text, unsigned mode = 0600) const {
    fs::remove(Path(name));
    { std::ofstream(Path(name), std::ios::binary) << text; }
    EXPECT_EQ(::chmod(Path(name).c_str(), mode), 0);
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static unsigned Mode(const std::string& path) {
    struct stat st;
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  static SigningKey KeyOf(const char* seed, const std::string& name) {
    auto key = SigningKey::FromSecretFileText(
        std::string("govqm-ed25519-secret ") + seed + " " + name + "\n", "test");
    EXPECT_TRUE(key.ok()) << key.status().message();
    return std::move(key.value());
  }
  fs::path dir_;
};

TEST_F(SigningTest, Rfc8032Vectors) {
  const SigningKey one = KeyOf(kRfcSeed, "one");
  EXPECT_EQ(one.public_key().Hex(), kRfcPublic);
  EXPECT_EQ(Hex(one.Sign("")), kRfcSignature);
  EXPECT_TRUE(VerifySignature(one.public_key(), "", one.Sign("")));

  const SigningKey two = KeyOf(kRfc2Seed, "two");
  EXPECT_EQ(two.public_key().Hex(), kRfc2Public);
  const std::string message = "\x72";
  const std::string signature = two.Sign(message);
  EXPECT_EQ(Hex(signature), kRfc2Signature);
  EXPECT_TRUE(VerifySignature(two.public_key(), message, signature));
  // Another message, another key, any bit of the signature changed: refused.
  EXPECT_FALSE(VerifySignature(two.public_key(), "\x73", signature));
  EXPECT_FALSE(VerifySignature(one.public_key(), message, signature));
  for (size_t i = 0; i < signature.size(); ++i) {
    std::string bad = signature;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(VerifySignature(two.public_key(), message, bad)) << i;
  }
  EXPECT_FALSE(VerifySignature(two.public_key(), message, signature.substr(1)));
}

TEST_F(SigningTest, TheSecretFileHoldsTheSeedAndTheName) {
  const SigningKey key = KeyOf(kRfcSeed, "南宁市");
  EXPECT_EQ(key.name(), "南宁市");
  EXPECT_EQ(key.SecretFileText(), std::string("govqm-ed25519-secret ") + kRfcSeed + " 南宁市\n");
  EXPECT_EQ(key.PublicFileText(), std::string("govqm-ed25519 ") + kRfcPublic + " 南宁市\n");
  // Without the line end too; nothing else is a key.
  EXPECT_TRUE(SigningKey::FromSecretFileText(std::string("govqm-ed25519-secret ") + kRfcSeed +
                                                 " a",
                                             "t")
                  .ok());
  // The same seed with its last digit in uppercase: another spelling, refused.
  const std::string upper = std::string(kRfcSeed).substr(0, 63) + "F";
  for (const std::string& text : {
           std::string("govqm-ed25519-secret ") + kRfcSeed + "\n",            // no name
           std::string("govqm-ed25519-secret ") + kRfcSeed + " a b\n",        // a space in it
           std::string("govqm-ed25519 ") + kRfcSeed + " a\n",                 // the public tag
           std::string("govqm-ed25519-secret ") + upper + " a\n",             // uppercase hex
           std::string("govqm-ed25519-secret ") + std::string(kRfcSeed).substr(2) + " a\n",
           std::string("govqm-ed25519-secret ") + kRfcSeed + " a\n\n",       // two lines
       }) {
    auto bad = SigningKey::FromSecretFileText(text, "where.sign");
    ASSERT_FALSE(bad.ok()) << text;
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
    EXPECT_TRUE(bad.status().message().starts_with("where.sign: not a signing key")) << text;
  }
  EXPECT_FALSE(SigningKey::Generate("a b").ok());
  EXPECT_FALSE(SigningKey::Generate("").ok());
  EXPECT_FALSE(SigningKey::Generate(std::string(65, 'x')).ok());
  EXPECT_FALSE(SigningKey::Generate("a/b").ok());
  EXPECT_TRUE(SigningKey::Generate(std::string(64, 'x')).ok());
}

TEST_F(SigningTest, PathsBesideTheStore) {
  EXPECT_EQ(SigningKeyPathBeside("govqm.db"), "govqm.sign");
  EXPECT_EQ(SigningKeyPathBeside("/srv/nanning.db"), "/srv/nanning.sign");
  EXPECT_EQ(SigningKeyPathBeside("store"), "store.sign");
  EXPECT_EQ(PublicKeyPathOf("/srv/nanning.sign"), "/srv/nanning.pub");
  EXPECT_EQ(PublicKeyPathOf("keys/k"), "keys/k.pub");
}

TEST_F(SigningTest, CreatedOnFirstUseMode0600WithItsPublicHalf) {
  const mode_t old = ::umask(0);  // a umask that would leave files world-readable
  auto first = OpenOrCreateSigningKey(Path("nanning.sign"));
  ::umask(old);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->created);
  EXPECT_TRUE(first->public_written);
  EXPECT_EQ(first->key.name(), "nanning");
  EXPECT_EQ(first->public_path, Path("nanning.pub"));
  EXPECT_EQ(Mode(Path("nanning.sign")), 0600u);
  const std::string pub = Slurp(Path("nanning.pub"));
  EXPECT_EQ(pub, "govqm-ed25519 " + first->key.public_key().Hex() + " nanning\n");
  // The secret file holds the seed whose key pair is this one.
  const std::string secret = Slurp(Path("nanning.sign"));
  auto reread = SigningKey::FromSecretFileText(secret, "x");
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->public_key(), first->key.public_key());
  EXPECT_EQ(secret.size(), std::string("govqm-ed25519-secret ").size() + 64 + 1 + 7 + 1);

  // The second use reads it; nothing is written.
  auto second = OpenOrCreateSigningKey(Path("nanning.sign"));
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_FALSE(second->created);
  EXPECT_FALSE(second->public_written);
  EXPECT_EQ(second->key.public_key(), first->key.public_key());
  EXPECT_EQ(Slurp(Path("nanning.sign")), secret);

  // A lost or stale .pub is written again; the key stays.
  fs::remove(Path("nanning.pub"));
  auto third = OpenOrCreateSigningKey(Path("nanning.sign"));
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->public_written);
  EXPECT_EQ(Slurp(Path("nanning.pub")), pub);
  Write("nanning.pub", "govqm-ed25519 " + std::string(kRfcPublic) + " nanning\n", 0644);
  auto fourth = OpenOrCreateSigningKey(Path("nanning.sign"));
  ASSERT_TRUE(fourth.ok());
  EXPECT_TRUE(fourth->public_written);
  EXPECT_FALSE(fourth->created);
  EXPECT_EQ(Slurp(Path("nanning.pub")), pub);
}

TEST_F(SigningTest, SecretFilesOthersMayReadOrLinksAreRefused) {
  ASSERT_TRUE(OpenOrCreateSigningKey(Path("k.sign")).ok());
  for (const unsigned mode : {0644u, 0640u, 0604u, 0620u}) {
    ASSERT_EQ(::chmod(Path("k.sign").c_str(), mode), 0);
    auto read = ReadSigningKeyFile(Path("k.sign"));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.status().code(), StatusCode::kPermissionDenied);
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", mode);
    EXPECT_EQ(read.status().message(), Path("k.sign") + ": mode " + octal +
                                           " lets others read the signing key; run chmod 600 " +
                                           Path("k.sign"));
    // Nor is a new key made in its place.
    auto opened = OpenOrCreateSigningKey(Path("k.sign"));
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), StatusCode::kPermissionDenied);
  }
  ASSERT_EQ(::chmod(Path("k.sign").c_str(), 0600), 0);
  fs::create_symlink(Path("k.sign"), Path("link.sign"));
  auto link = OpenOrCreateSigningKey(Path("link.sign"));
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(link.status().message(),
            Path("link.sign") + ": the signing key file is a symbolic link (not accepted)");
  // A dangling link is not followed to create a key where it points either.
  fs::create_symlink(Path("elsewhere.sign"), Path("dangling.sign"));
  EXPECT_FALSE(OpenOrCreateSigningKey(Path("dangling.sign")).ok());
  EXPECT_FALSE(fs::exists(Path("elsewhere.sign")));
}

TEST_F(SigningTest, TrustDirectory) {
  fs::create_directories(Path("trust"));
  const SigningKey one = KeyOf(kRfcSeed, "nanning");
  const SigningKey two = KeyOf(kRfc2Seed, "liuzhou");
  Write("trust/nanning.pub", one.PublicFileText(), 0644);
  Write("trust/liuzhou.pub", two.PublicFileText(), 0644);
  Write("trust/README", "not a key\n", 0644);  // not *.pub: ignored
  auto trusted = TrustedKeys::LoadDir(Path("trust"));
  ASSERT_TRUE(trusted.ok()) << trusted.status().message();
  ASSERT_EQ(trusted->keys().size(), 2u);
  const TrustedKey* found = trusted->Find(two.public_key());
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->name, "liuzhou");
  EXPECT_EQ(found->file, Path("trust/liuzhou.pub"));
  EXPECT_EQ(trusted->Find(SigningKey::Generate("x")->public_key()), nullptr);

  // A malformed .pub is an error naming it.
  Write("trust/bad.pub", "govqm-ed25519 1234 bad\n", 0644);
  auto bad = TrustedKeys::LoadDir(Path("trust"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(bad.status().message().starts_with(Path("trust/bad.pub") + ": not a public key file"))
      << bad.status().message();
  fs::remove(Path("trust/bad.pub"));

  // One name for two keys, or two names for one key: refused, naming both files.
  Write("trust/z.pub", "govqm-ed25519 " + SigningKey::Generate("x")->public_key().Hex() +
                           " nanning\n", 0644);
  auto same_name = TrustedKeys::LoadDir(Path("trust"));
  ASSERT_FALSE(same_name.ok());
  EXPECT_NE(same_name.status().message().find(Path("trust/z.pub")), std::string::npos);
  EXPECT_NE(same_name.status().message().find(Path("trust/nanning.pub")), std::string::npos);
  Write("trust/z.pub", "govqm-ed25519 " + one.public_key().Hex() + " other\n", 0644);
  EXPECT_FALSE(TrustedKeys::LoadDir(Path("trust")).ok());
  // The same key twice under its name is only a copy.
  Write("trust/z.pub", one.PublicFileText(), 0644);
  EXPECT_TRUE(TrustedKeys::LoadDir(Path("trust")).ok());

  fs::create_directories(Path("empty"));
  auto empty = TrustedKeys::LoadDir(Path("empty"));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), Path("empty") + ": no .pub file: no key is trusted");
  auto missing = TrustedKeys::LoadDir(Path("none"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

class EnvelopeTest : public SigningTest {
 protected:
  void SetUp() override {
    SigningTest::SetUp();
    fs::create_directories(Path("trust"));
    Write("trust/nanning.pub", nanning_.PublicFileText(), 0644);
    auto trusted = TrustedKeys::LoadDir(Path("trust"));
    ASSERT_TRUE(trusted.ok()) << trusted.status().message();
    trusted_ = std::move(trusted.value());
  }
  SigningKey nanning_ = KeyOf(kRfcSeed, "nanning");
  TrustedKeys trusted_;
};

TEST_F(EnvelopeTest, TheFormatOfTheSignedFile) {
  const std::string payload = "{\"a\":1}";
  const std::string file = SealEnvelope(nanning_, "partials", payload);
  // SHA-256("{\"a\":1}") (sha256sum of those 7 bytes).
  const std::string digest = "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862";
  const std::string head = std::string("govqm-signed 1 partials\nsigner nanning\npublic-key ") +
                           kRfcPublic + "\npayload-sha256 " + digest +
                           "\npayload-bytes 7\n\n{\"a\":1}\n";
  ASSERT_TRUE(file.starts_with(head)) << file;
  // The signature covers every byte before it.
  EXPECT_EQ(file, head + "signature " + Hex(nanning_.Sign(head)) + "\n");

  auto opened = OpenEnvelope(file, "partials", trusted_, "a.partials");
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->payload, payload);
  EXPECT_EQ(opened->signer, "nanning");
  EXPECT_EQ(opened->payload_sha256, digest);
  ASSERT_NE(opened->trusted, nullptr);
  EXPECT_EQ(opened->trusted->file, Path("trust/nanning.pub"));
}

TEST_F(EnvelopeTest, AnyChangedByteIsRefused) {
  const std::string file = SealEnvelope(nanning_, "partials", "{\"x\":[1,2,3],\"y\":\"南宁\"}");
  ASSERT_TRUE(OpenEnvelope(file, "partials", trusted_, "f").ok());
  // Every byte of the file, changed two ways: a low bit (another digit, another letter) and
  // the case bit (the same hex value spelled otherwise).
  for (size_t i = 0; i < file.size(); ++i) {
    for (const char flip : {'\x01', '\x20'}) {
      std::string bad = file;
      bad[i] = static_cast<char>(bad[i] ^ flip);
      auto opened = OpenEnvelope(bad, "partials", trusted_, "f.partials");
      ASSERT_FALSE(opened.ok()) << "byte " << i << " ^ " << int(flip);
      EXPECT_TRUE(opened.status().message().starts_with("f.partials: ")) << opened.status().message();
    }
  }
  // Cut, or with anything after the signature.
  EXPECT_FALSE(OpenEnvelope(file.substr(0, file.size() - 1), "partials", trusted_, "f").ok());
  EXPECT_FALSE(OpenEnvelope(file + "\n", "partials", trusted_, "f").ok());
  EXPECT_FALSE(OpenEnvelope(file + file, "partials", trusted_, "f").ok());
  EXPECT_FALSE(OpenEnvelope("", "partials", trusted_, "f").ok());
  // The same payload in a file saying it holds something else.
  EXPECT_FALSE(OpenEnvelope(SealEnvelope(nanning_, "other", "{}"), "partials", trusted_, "f").ok());
}

TEST_F(EnvelopeTest, ThePayloadAlteredAndResealedWithTheDigestFailsTheSignature) {
  const std::string file = SealEnvelope(nanning_, "partials", "{\"n\":1}");
  // Someone changes the payload and fixes its digest, but cannot sign.
  std::string bad = file;
  const size_t at = bad.find("{\"n\":1}");
  bad[at + 5] = '2';
  auto altered = OpenEnvelope(bad, "partials", trusted_, "f");
  ASSERT_FALSE(altered.ok());
  EXPECT_EQ(altered.status().message(),
            "f: the payload's SHA-256 is not the one the file gives: the file was altered");
  const std::string old_digest = file.substr(file.find("payload-sha256 ") + 15, 64);
  // SHA-256("{\"n\":2}"), as sha256sum gives it.
  bad.replace(bad.find(old_digest), 64, "363379742f80b51bdb9206579af7754911543079b9399cb3fc315fb199f476e8");
  auto opened = OpenEnvelope(bad, "partials", trusted_, "f");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(opened.status().message().starts_with(
      "f: the signature does not verify with the key of 'nanning'"))
      << opened.status().message();
}

TEST_F(EnvelopeTest, UntrustedSigners) {
  const SigningKey stranger = KeyOf(kRfc2Seed, "nanning");  // another key under the name
  auto unknown = OpenEnvelope(SealEnvelope(stranger, "partials", "{}"), "partials", trusted_,
                              "s.partials");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(unknown.status().message(),
            std::string("s.partials: signed by 'nanning' with a key no .pub file in ") +
                Path("trust") + " holds (public key " + kRfc2Public + "): not trusted");
  // The trusted key, signing under another name.
  const SigningKey renamed = KeyOf(kRfcSeed, "liuzhou");
  auto misnamed = OpenEnvelope(SealEnvelope(renamed, "partials", "{}"), "partials", trusted_,
                               "r.partials");
  ASSERT_FALSE(misnamed.ok());
  EXPECT_EQ(misnamed.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(misnamed.status().message().starts_with(
      "r.partials: names its signer 'liuzhou', but its key is 'nanning'"));
}

}  // namespace
}  // namespace govqm::security
