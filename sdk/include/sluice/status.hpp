// sluice C++ SDK: Status and Expected, the error types of the authoring API.
//
// Status is one pointer: null means OK (leveldb-style). It converts to and from the C ABI's
// sluice_status at the plugin boundary. Expected<T> holds a T or a non-OK Status.
// Both are cheap to move and safe to use from any thread (they are values).
#ifndef SLUICE_STATUS_HPP_
#define SLUICE_STATUS_HPP_

#include <sluice/plugin.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace sluice {

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(sluice_code code, std::string message)
      : state_(code == SLUICE_OK ? nullptr
                                 : std::make_shared<const State>(State{code, std::move(message)})) {}

  static Status Ok() { return Status(); }
  static Status Invalid(std::string m) { return {SLUICE_INVALID_ARGUMENT, std::move(m)}; }
  static Status BadRecord(std::string m) { return {SLUICE_BAD_RECORD, std::move(m)}; }
  static Status NotFound(std::string m) { return {SLUICE_NOT_FOUND, std::move(m)}; }
  static Status IoError(std::string m) { return {SLUICE_IO_ERROR, std::move(m)}; }
  static Status Unsupported(std::string m) { return {SLUICE_UNSUPPORTED, std::move(m)}; }
  static Status OutOfMemory(std::string m) { return {SLUICE_OUT_OF_MEMORY, std::move(m)}; }
  static Status Cancelled(std::string m) { return {SLUICE_CANCELLED, std::move(m)}; }
  static Status Internal(std::string m) { return {SLUICE_INTERNAL, std::move(m)}; }

  bool ok() const { return state_ == nullptr; }
  explicit operator bool() const { return ok(); }
  sluice_code code() const { return state_ ? state_->code : SLUICE_OK; }
  const std::string& message() const {
    static const std::string kEmpty;
    return state_ ? state_->message : kEmpty;
  }

 private:
  struct State {
    sluice_code code;
    std::string message;
  };
  std::shared_ptr<const State> state_;
};

// Thrown inside SDK helpers that cannot return a Status (constructors, Params::get); the SDK's
// boundary catches it and returns its status to the engine.
class Error : public std::runtime_error {
 public:
  explicit Error(Status status) : std::runtime_error(status.message()), status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}           // NOLINT: implicit by design
  Expected(Status error) : v_(std::move(error)) {      // NOLINT: implicit by design
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Expected built from an OK status");
  }
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return checked(); }
  T& value() & { return checked(); }
  T&& value() && { return std::move(checked()); }
  const T& operator*() const& { return checked(); }
  T& operator*() & { return checked(); }
  const T* operator->() const { return &checked(); }
  T* operator->() { return &checked(); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }

 private:
  T& checked() {
    if (!ok()) throw Error(std::get<Status>(v_));
    return std::get<T>(v_);
  }
  const T& checked() const {
    if (!ok()) throw Error(std::get<Status>(v_));
    return std::get<T>(v_);
  }
  std::variant<T, Status> v_;
};

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define SLUICE_RETURN_IF_ERROR(expr)            \
  do {                                          \
    ::sluice::Status sluice_status_tmp_ = (expr); \
    if (!sluice_status_tmp_.ok()) return sluice_status_tmp_; \
  } while (0)

}  // namespace sluice

#endif  // SLUICE_STATUS_HPP_
