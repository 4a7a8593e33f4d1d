#include <algorithm>
#include <cstdio>

#include "notify/notify.h"

namespace baladiya::notify {

Dispatcher::Dispatcher(Outbox& outbox, AddressBook addresses, Sender* email, Sender* sms)
    : outbox_(outbox), addresses_(std::move(addresses)), email_(email), sms_(sms) {}

Result<DispatchStats> Dispatcher::RunOnce(int64_t now_ms, int batch) {
  auto claimed = outbox_.Claim(batch, now_ms);
  if (!claimed.ok()) return std::move(claimed).error();
  DispatchStats stats;
  stats.claimed = static_cast<int>(claimed->size());
  // Every outcome is settled together at the end of the pass (one transaction).
  std::vector<const Delivery*> in_app;
  std::vector<int64_t> sent;
  std::vector<Outbox::FailedAttempt> failed;
  for (const Delivery& d : *claimed) {
    if (d.channel == Channel::kInApp) {
      in_app.push_back(&d);
      ++stats.sent;
      continue;
    }
    Sender* sender = d.channel == Channel::kEmail ? email_ : sms_;
    if (sender == nullptr) {
      ++stats.failed_attempts;
      failed.push_back({d.id, "channel not configured", true});
      continue;
    }
    std::string address = d.address;
    if (address.empty()) {
      auto found = addresses_
                       ? addresses_(d.channel, d.account_id)
                       : Result<std::string>(MakeError(ErrorCode::kNotFound, "error.not_found"));
      if (!found.ok()) {
        ++stats.failed_attempts;
        const bool gone = found.error().code == ErrorCode::kNotFound;
        failed.push_back({d.id,
                          gone ? "recipient has no address for this channel" : found.error().detail,
                          gone});
        continue;
      }
      address = std::move(*found);
    }
    SendResult r = sender->Send(d, address);
    if (r.ok) {
      ++stats.sent;
      sent.push_back(d.id);
    } else {
      ++stats.failed_attempts;
      failed.push_back({d.id, r.error, r.permanent});
    }
  }
  if (Status s = outbox_.SettleBatch(in_app, sent, failed, now_ms); !s.ok()) {
    // Not recorded: the leases run out and the messages are claimed again (at least once).
    std::fprintf(stderr, "baladiya: notify: could not record %zu outcomes: %s\n",
                 in_app.size() + sent.size() + failed.size(), s.error().detail.c_str());
  }
  return stats;
}

Worker::Worker(Dispatcher& dispatcher, std::chrono::milliseconds interval,
               std::function<int64_t()> now_ms)
    : dispatcher_(dispatcher),
      interval_(interval),
      now_ms_(std::move(now_ms)),
      thread_([this] { Loop(); }) {}

Worker::~Worker() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Worker::Wake() {
  bool already = false;
  {
    std::lock_guard lock(mu_);
    already = woken_;
    woken_ = true;
  }
  // Once woken, the worker gathers for a moment and then claims everything queued: waking it
  // again for each message of a burst would only cost it a context switch each.
  if (!already) cv_.notify_all();
}

namespace {
constexpr std::chrono::milliseconds kGather{20};
}  // namespace

void Worker::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, interval_, [this] { return stop_ || woken_; });
    if (stop_) break;
    if (woken_) {
      // Woken by a new message: wait a moment for the ones that follow it (a burst of
      // submissions), so that one pass claims and settles them together.
      cv_.wait_for(lock, std::min(interval_, kGather), [this] { return stop_; });
      if (stop_) break;
    }
    woken_ = false;
    lock.unlock();
    // Drain: a full batch means more may be due.
    for (int round = 0; round < 20; ++round) {
      auto r = dispatcher_.RunOnce(now_ms_());
      if (!r.ok()) {
        std::fprintf(stderr, "baladiya: notify: dispatch failed: %s\n", r.error().detail.c_str());
        break;
      }
      if (r->claimed < 50) break;
    }
    lock.lock();
  }
}

}  // namespace baladiya::notify
