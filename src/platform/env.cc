#include "platform/env.h"

#include <chrono>

namespace govqm::platform {

Env& Env::Default() {
  static Env* env = new Env;
  return *env;
}

double Env::NowSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int64_t Env::NowUtcMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status Env::AtFaultPoint(FaultPoint) { return Status::Ok(); }

}  // namespace govqm::platform
