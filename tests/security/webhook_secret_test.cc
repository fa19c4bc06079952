// The webhook signature (service.md §7): HMAC-SHA256 checked against the test vectors of
// RFC 4231 (cases 1, 2 and 6: a short key, a key shorter than its data, a key longer than the
// hash's block), and the secret file's checks, as the contact key's.
#include "security/webhook_secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace govqm::security {
namespace {

namespace fs = std::filesystem;

TEST(HmacSha256, Rfc4231TestVectors) {
  EXPECT_EQ(HmacSha256Hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HmacSha256Hex(std::string(131, '\xaa'),
                          "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

class WebhookSecretTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("govqm_hook_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text, mode_t mode) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }
  fs::path dir_;
};

// One trailing newline is not part of the secret (as `echo` writes it); the signature is the
// RFC's case 2 under the key "Jefe".
TEST_F(WebhookSecretTest, OneTrailingNewlineIsStripped) {
  for (const char* text : {"Jefe", "Jefe\n", "Jefe\r\n"}) {
    auto s = ReadWebhookSecret(Write("secret", text, 0600));
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->bytes(), "Jefe");
    EXPECT_EQ(SignatureHeaderValue(*s, "what do ya want for nothing?"),
              "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
  auto two = ReadWebhookSecret(Write("secret", "Jefe\n\n", 0600));
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->bytes(), "Jefe\n");  // only one is stripped
  auto owner_read_only = ReadWebhookSecret(Write("secret", "Jefe", 0400));
  EXPECT_TRUE(owner_read_only.ok());
}

TEST_F(WebhookSecretTest, GroupOrWorldReadableAndOtherBadFilesAreRefused) {
  const std::string path = Write("secret", "s3cret\n", 0640);
  auto group = ReadWebhookSecret(path);
  EXPECT_EQ(group.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(group.status().message(),
            path + ": mode 0640 lets others read the webhook secret; run chmod 600 " + path);
  EXPECT_EQ(ReadWebhookSecret(Write("secret", "s3cret\n", 0604)).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(ReadWebhookSecret(Write("secret", "s3cret\n", 0620)).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(ReadWebhookSecret((dir_ / "missing").string()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ReadWebhookSecret(dir_.string()).status().code(), StatusCode::kPermissionDenied);
  auto empty = ReadWebhookSecret(Write("empty", "\n", 0600));
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(empty.status().message(), (dir_ / "empty").string() + ": the webhook secret is empty");
  EXPECT_EQ(ReadWebhookSecret(Write("long", std::string(kMaxWebhookSecretBytes + 1, 'x'), 0600))
                .status()
                .code(),
            StatusCode::kInvalidInput);
  EXPECT_TRUE(
      ReadWebhookSecret(Write("max", std::string(kMaxWebhookSecretBytes, 'x') + "\n", 0600)).ok());
}

}  // namespace
}  // namespace govqm::security
