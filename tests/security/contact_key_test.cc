// The contact key and secretbox sealing (service.md §4). Expected values are properties
// worked out from libsodium's definitions (sizes, authentication), never copied from output.
#include "security/contact_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace govqm::security {
namespace {

namespace fs = std::filesystem;

constexpr size_t kNonce = 24, kMac = 16;  // crypto_secretbox_NONCEBYTES, _MACBYTES

class ContactKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("govqm_key_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  static unsigned Mode(const std::string& path) {
    struct stat st;
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  fs::path dir_;
};

TEST_F(ContactKeyTest, SealOpenRoundTrip) {
  const ContactKey key = ContactKey::Generate();
  const std::string sealed = Seal(key, "13912345678");
  // nonce || ciphertext, the ciphertext being the MAC and the 11 bytes.
  EXPECT_EQ(sealed.size(), kNonce + kMac + 11);
  EXPECT_EQ(sealed.find("13912345678"), std::string::npos);
  auto opened = Open(key, sealed);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(*opened, "13912345678");
  // A fresh nonce each time: one number sealed twice gives two different values.
  EXPECT_NE(Seal(key, "13912345678"), sealed);
  // The empty string seals too (a MAC and a nonce, nothing else).
  auto empty = Open(key, Seal(key, ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST_F(ContactKeyTest, WrongKeyFails) {
  const ContactKey key = ContactKey::Generate(), other = ContactKey::Generate();
  EXPECT_FALSE(key.SameAs(other));
  auto opened = Open(other, Seal(key, "07715551234"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(opened.status().message(),
            "sealed contact does not open with this key (another store's key, or altered)");
}

TEST_F(ContactKeyTest, TamperedCiphertextFailsWhicheverByteIsChanged) {
  const ContactKey key = ContactKey::Generate();
  const std::string sealed = Seal(key, "13912345678");
  for (size_t i = 0; i < sealed.size(); ++i) {  // the nonce, the MAC and the ciphertext
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(Open(key, bad).ok()) << "byte " << i;
  }
  EXPECT_FALSE(Open(key, sealed.substr(0, sealed.size() - 1)).ok());  // truncated
  auto short_one = Open(key, sealed.substr(0, kNonce + kMac - 1));
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.status().message(), "sealed contact too short (39 bytes, at least 40)");
}

TEST_F(ContactKeyTest, TextFormIsBase64OfTheSealedBytes) {
  const ContactKey key = ContactKey::Generate();
  const std::string text = SealToText(key, "13912345678");
  // 24 + 16 + 11 = 51 bytes: 17 groups of 3, 68 base64 characters, no padding.
  EXPECT_EQ(text.size(), 68u);
  EXPECT_EQ(
      text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
      std::string::npos);
  auto opened = OpenText(key, text);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(*opened, "13912345678");
  EXPECT_FALSE(OpenText(key, "not base64!").ok());
  std::string tampered = text;
  tampered[30] = tampered[30] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(OpenText(key, tampered).ok());
}

TEST_F(ContactKeyTest, KeyPathBesideTheStore) {
  EXPECT_EQ(KeyPathBeside("govqm.db"), "govqm.key");
  EXPECT_EQ(KeyPathBeside("/srv/data/city.db"), "/srv/data/city.key");
  EXPECT_EQ(KeyPathBeside("backups/2024-03.sqlite"), "backups/2024-03.key");
  EXPECT_EQ(KeyPathBeside("store"), "store.key");
}

TEST_F(ContactKeyTest, KeyFileIsCreatedMode0600WhateverTheUmask) {
  const mode_t old = ::umask(0);  // a umask that would leave 0666 files world-readable
  auto key = CreateKeyFile(Path("s.key"));
  ::umask(old);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(Mode(Path("s.key")), 0600u);
  // 64 hex digits and a newline, the key's own.
  EXPECT_EQ(Slurp(Path("s.key")), key->Hex() + "\n");
  EXPECT_EQ(key->Hex().size(), 64u);
  auto read = ReadKeyFile(Path("s.key"));
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_TRUE(read->SameAs(*key));
  // Never overwritten.
  auto again = CreateKeyFile(Path("s.key"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  auto still = ReadKeyFile(Path("s.key"));
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->SameAs(*key));
}

TEST_F(ContactKeyTest, KeyFileReadableByOthersIsRefused) {
  ASSERT_TRUE(CreateKeyFile(Path("s.key")).ok());
  for (const unsigned mode : {0644u, 0640u, 0604u, 0620u}) {
    ASSERT_EQ(::chmod(Path("s.key").c_str(), mode), 0);
    auto read = ReadKeyFile(Path("s.key"));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.status().code(), StatusCode::kPermissionDenied);
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", mode);
    EXPECT_EQ(read.status().message(), Path("s.key") + ": mode " + octal +
                                           " lets others read the contact key; run chmod 600 " +
                                           Path("s.key"));
  }
  ASSERT_EQ(::chmod(Path("s.key").c_str(), 0400), 0);  // read-only for its owner is fine
  EXPECT_TRUE(ReadKeyFile(Path("s.key")).ok());
}

TEST_F(ContactKeyTest, MissingOrMalformedKeyFiles) {
  auto missing = ReadKeyFile(Path("none.key"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), Path("none.key") + ": no contact key file");

  for (const std::string& text :
       {std::string("abc\n"), std::string(64, 'g'), std::string(66, 'a')}) {
    fs::remove(Path("bad.key"));
    { std::ofstream(Path("bad.key")) << text; }
    ASSERT_EQ(::chmod(Path("bad.key").c_str(), 0600), 0);
    auto bad = ReadKeyFile(Path("bad.key"));
    ASSERT_FALSE(bad.ok()) << text;
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(bad.status().message(),
              Path("bad.key") + ": not a contact key (expected 64 hex digits)");
  }
  // A symbolic link is not followed to a key somewhere else.
  ASSERT_TRUE(CreateKeyFile(Path("real.key")).ok());
  fs::create_symlink(Path("real.key"), Path("link.key"));
  auto link = ReadKeyFile(Path("link.key"));
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(ContactKeyTest, HexRoundTrip) {
  const std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  auto key = ContactKey::FromHex(" " + hex + "\n", "here");
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->Hex(), hex);
  EXPECT_EQ(key->data()[31], 0x1f);
}

}  // namespace
}  // namespace govqm::security
