// Build facts, thread count, and the Philox known-answer hook.
#include "fastreg/kernels.hpp"
#include "fastreg/parallel.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <cstdint>

namespace fastreg::bindings {

namespace py = pybind11;

namespace {

std::string compiler() {
#if defined(__clang__)
    return "clang " __clang_version__;
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#else
    return "unknown";
#endif
}

}  // namespace

void register_info(py::module_& m) {
    m.def("build_info", [] {
        py::dict d;
        d["version"] = FASTREG_VERSION;
        d["build_type"] = FASTREG_BUILD_TYPE;
        d["openmp"] = openmp_enabled();
        d["simd"] = simd_variant();
        d["compiler"] = compiler();
        return d;
    }, "Facts about this build: version, build type, OpenMP, SIMD variant in use, compiler.");

    m.def("get_num_threads", &get_num_threads);
    m.def("set_num_threads", &set_num_threads, py::arg("n"));

    m.def("philox4x32_10",
          [](std::array<std::uint32_t, 4> counter, std::array<std::uint32_t, 2> key) {
              philox4x32_10(counter.data(), key.data());
              return py::make_tuple(counter[0], counter[1], counter[2], counter[3]);
          },
          py::arg("counter"), py::arg("key"),
          "Philox4x32-10 of one 4-word counter under a 2-word key (known-answer tests).");
}

}  // namespace fastreg::bindings
