#include "platform/module/module.h"

#include <charconv>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace baladiya::module {

namespace {

[[noreturn]] void UnknownSetting(std::string_view name, const char* why) {
  std::fprintf(stderr, "baladiya: wiring bug: setting '%.*s' %s\n", static_cast<int>(name.size()),
               name.data(), why);
  std::abort();
}

}  // namespace

const std::string& Settings::Text(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) UnknownSetting(name, "is not in the settings table");
  return it->second;
}

int Settings::Int(std::string_view name) const {
  const std::string& v = Text(name);
  int out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size()) UnknownSetting(name, "is not a number");
  return out;
}

bool Settings::Bool(std::string_view name) const {
  const std::string& v = Text(name);
  if (v != "true" && v != "false") UnknownSetting(name, "is not true or false");
  return v == "true";
}

namespace {

class PeriodicWorker : public Worker {
 public:
  PeriodicWorker(std::string name, std::chrono::milliseconds every, std::function<void()> run,
                 std::function<void()> at_stop)
      : name_(std::move(name)),
        every_(every),
        run_(std::move(run)),
        at_stop_(std::move(at_stop)),
        thread_([this] { Loop(); }) {}

  ~PeriodicWorker() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    if (at_stop_) at_stop_();
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, every_, [this] { return stop_; })) {
      lock.unlock();
      run_();
      lock.lock();
    }
  }

  std::string name_;
  std::chrono::milliseconds every_;
  std::function<void()> run_;
  std::function<void()> at_stop_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace

std::unique_ptr<Worker> Every(std::string name, std::chrono::milliseconds every,
                              std::function<void()> run, std::function<void()> at_stop) {
  return std::make_unique<PeriodicWorker>(std::move(name), every, std::move(run),
                                          std::move(at_stop));
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "baladiya: %s\n", what.c_str());
  return 1;
}

int Fail(const Error& e) { return Fail(e.detail.empty() ? e.message_key : e.detail); }

}  // namespace baladiya::module
