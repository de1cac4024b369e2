#include "fastreg/interrupt.hpp"

namespace fastreg::stop {

namespace {
thread_local StopSource* this_thread_source = nullptr;
}  // namespace

StopSource* current() { return this_thread_source; }

Bind::Bind(StopSource* source) : previous_(this_thread_source) { this_thread_source = source; }
Bind::~Bind() { this_thread_source = previous_; }

}  // namespace fastreg::stop
