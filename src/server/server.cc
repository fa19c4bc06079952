#include "server/server.h"

namespace govqm::server {

Status Serve(const ServeOptions&) { return Status::Internal("serve: not built yet"); }

}  // namespace govqm::server
