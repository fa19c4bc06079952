// The import route through Service::Handle (no sockets): what its errors tell the client.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "app/init.h"
#include "security/accounts.h"
#include "server/service.h"

namespace govqm::server {
namespace {

namespace fs = std::filesystem;

size_t RouteIndex(const std::string& method, const std::string& path) {
  for (size_t i = 0; i < Routes().size(); ++i) {
    if (Routes()[i].method == method && Routes()[i].path == path) return i;
  }
  ADD_FAILURE() << "no route " << method << " " << path;
  return 0;
}

// Found by fuzz_api: a file the import refused was named by its path on the server
// (DIR/govqm.imports/ID/t.csv), telling the client where the server keeps its uploads.
TEST(ServiceImport, RegressionAnErrorNamesTheFileAsTheClientGaveIt) {
  const fs::path dir =
      fs::temp_directory_path() / ("govqm_service_import_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "govqm.db").string();
  ASSERT_TRUE(app::Init({db, "Asia/Shanghai"}).ok());
  std::string token;
  {
    auto accounts = security::Accounts::Open(db);
    ASSERT_TRUE(accounts.ok()) << accounts.status().message();
    security::UserInfo admin;
    admin.name = "admin1";
    admin.role = Role::kAdmin;
    ASSERT_TRUE((*accounts)->AddUser(admin, "admin1-password-1").ok());
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    auto created = (*accounts)->CreateToken("admin1", 1, now);
    ASSERT_TRUE(created.ok()) << created.status().message();
    token = created->secret;
  }
  ServeOptions options;
  options.db = db;
  auto service = Service::Open(options);
  ASSERT_TRUE(service.ok()) << service.status().message();

  Call call;
  call.method = "POST";
  call.path_params = {"transactions"};
  call.query = {{"filename", "t.csv"}};
  call.body = "id,dept_code,channel,submitted_at,status\nX1,tax,web,2024-03-09 09:00,completed\n";
  call.bearer = token;
  const Reply reply = (*service)->Handle(RouteIndex("POST", "/api/v1/imports/{kind}"), call);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body,
            "{\"error\": {\"code\": \"bad_request\", \"message\": \"t.csv: missing required column "
            "'region_code'\"}}\n");
  EXPECT_EQ(reply.body.find(dir.string()), std::string::npos);
  service->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace govqm::server
