// What other modules need of notify besides the outbox (notify.h): whom they can tell, on which
// channels, and how to wake the dispatcher once their transaction has committed.
#pragma once

#include <atomic>
#include <functional>
#include <set>
#include <vector>

#include "identity/identity.h"
#include "notify/notify.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::notify {

// The channels an account can be told on: in-app for every active account, SMS and email when
// it has that address and this server can deliver the channel (a sender configured). Modules may
// mute accounts (an Open311 key's account files reports for a client and reads no inbox).
// Thread-safe once assembled (Mute is called while the program is built).
class Recipients {
 public:
  Recipients(identity::AccountStore& accounts, std::set<Channel> deliverable);
  // muted(account) true: the account is told nothing. An error counts as muted.
  void Mute(std::function<Result<bool>(int64_t account_id)> muted);
  // In-app first; empty for an inactive, unknown or muted account.
  std::vector<Channel> Reachable(int64_t account_id) const;
  const std::set<Channel>& deliverable() const { return deliverable_; }

 private:
  identity::AccountStore& accounts_;
  std::set<Channel> deliverable_;
  std::vector<std::function<Result<bool>(int64_t)>> muted_;
};

// Wakes the notification worker after a transaction that queued messages commits, so that they
// go out at once rather than at the next interval. Does nothing while no worker runs (commands,
// tests that run the dispatcher themselves).
class Notifier {
 public:
  void Attach(Worker* worker) { worker_.store(worker); }
  void Wake() const {
    if (Worker* w = worker_.load()) w->Wake();
  }

 private:
  std::atomic<Worker*> worker_{nullptr};
};

// A recipient account's address for a channel, read when the message is delivered: the email or
// phone of an active account (kNotFound when it has none, or the account was closed).
AddressBook AccountAddresses(identity::AccountStore& accounts);

// The notify module as the program is built from it (module.cpp).
module::Module Module();

}  // namespace baladiya::notify
