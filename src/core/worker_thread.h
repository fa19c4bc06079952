// A thread kept for a series of jobs, one at a time: Start(job), then Wait() before the next.
// Why not a thread per job: a new thread starts on fresh memory (its stack, its malloc arena),
// and on the project's VM the first touch of fresh pages is costly (the kernel clears them:
// a sixth of an import's time when the import made a thread per block).
#pragma once

#include <pthread.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace govqm {

class WorkerThread {
 public:
  // `name` (at most 15 characters) shows in profilers and `top -H`.
  explicit WorkerThread(std::string name) : name_(std::move(name)), thread_([this] { Loop(); }) {}
  ~WorkerThread() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  void Start(std::function<void()> job) {
    std::lock_guard lock(mu_);
    job_ = std::move(job);
    busy_ = true;
    changed_.notify_all();
  }
  // Waits for the job started last (returns at once when there is none).
  void Wait() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !busy_; });
  }
  bool busy() {
    std::lock_guard lock(mu_);
    return busy_;
  }

 private:
  void Loop() {
    pthread_setname_np(pthread_self(), name_.c_str());
    std::unique_lock lock(mu_);
    while (true) {
      changed_.wait(lock, [&] { return stop_ || busy_; });
      if (stop_) return;
      std::function<void()> job = std::move(job_);
      job_ = nullptr;
      lock.unlock();
      job();
      lock.lock();
      busy_ = false;
      changed_.notify_all();
    }
  }

  std::string name_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::function<void()> job_;
  bool busy_ = false, stop_ = false;
  std::thread thread_;  // last: started once the rest is built
};

}  // namespace govqm
