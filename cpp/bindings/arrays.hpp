// What every binding checks before it hands raw pointers to the core: operands share one
// shape, strides are whole elements, outputs are writeable. The core trusts the layout it
// is given, so nothing reaches it unchecked.
#ifndef FASTREG_BINDINGS_ARRAYS_HPP
#define FASTREG_BINDINGS_ARRAYS_HPP

#include "fastreg/nditer.hpp"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

namespace fastreg::bindings {

namespace py = pybind11;

// Operand k of `layout` takes `a`'s strides; the first operand also fixes the shape.
template <int K>
void add_operand(NdLayout<K>& layout, int k, const py::array& a, const char* name) {
    if (k == 0) {
        if (a.ndim() > MAX_DIMS) throw py::value_error(std::string(name) + ": too many dimensions");
        layout.ndim = int(a.ndim());
        for (int d = 0; d < layout.ndim; ++d) layout.shape[d] = a.shape(d);
    } else {
        bool same = a.ndim() == layout.ndim;
        for (int d = 0; same && d < layout.ndim; ++d) same = a.shape(d) == layout.shape[d];
        if (!same) throw py::value_error(std::string(name) + ": shape differs from the input's");
    }
    const auto item = a.itemsize();
    for (int d = 0; d < layout.ndim; ++d) {
        if (a.strides(d) % item != 0)
            throw py::value_error(std::string(name) + ": strides are not whole elements");
        layout.strides[k][d] = a.strides(d) / item;
    }
}

// An operand that is absent: all-zero strides.
template <int K>
void add_absent(NdLayout<K>& layout, int k) {
    for (int d = 0; d < layout.ndim; ++d) layout.strides[k][d] = 0;
}

inline void require_writeable(const py::array& a, const char* name) {
    if (!a.writeable()) throw py::value_error(std::string(name) + ": array is read-only");
}

// A C-ordered array of zeros whose memory is backed only where it is written. calloc takes
// a large block fresh from the OS, zero already, and leaves it untouched; numpy's zeros
// asks for transparent huge pages there, each faulted in whole (2 MB) at its first write.
// For a path's coefficients, mostly zeros that are never written (cd::PathOutput).
template <class T>
py::array_t<T> zeroed_array(const std::vector<py::ssize_t>& shape) {
    std::size_t count = 1;
    for (const py::ssize_t d : shape) count *= std::size_t(d);
    void* data = std::calloc(std::max<std::size_t>(count, 1), sizeof(T));
    if (!data) throw std::bad_alloc();
    py::capsule owner(data, [](void* q) { std::free(q); });
    return py::array_t<T>(shape, static_cast<T*>(data), owner);
}

}  // namespace fastreg::bindings

#endif  // FASTREG_BINDINGS_ARRAYS_HPP
