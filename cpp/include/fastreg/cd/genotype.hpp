// The coordinate-descent solvers on genotype designs (fastreg/matrix/genotype.hpp):
// explicit instantiations compiled once, in cpp/src/cd_genotype.cpp.
#ifndef FASTREG_CD_GENOTYPE_HPP
#define FASTREG_CD_GENOTYPE_HPP

#include "fastreg/cd/path.hpp"
#include "fastreg/cd/enet_paths.hpp"
#include "fastreg/matrix/genotype.hpp"

namespace fastreg::cd {

using Int8F = matrix::Int8Genotypes<float>;
using Int8D = matrix::Int8Genotypes<double>;
using BedF = matrix::BedGenotypes<float>;
using BedD = matrix::BedGenotypes<double>;
using Int8CovF = matrix::WithCovariates<float, Int8F>;
using Int8CovD = matrix::WithCovariates<double, Int8D>;
using BedCovF = matrix::WithCovariates<float, BedF>;
using BedCovD = matrix::WithCovariates<double, BedD>;
#define FASTREG_CD_GENOTYPE_ALL(PREFIX)                                                       \
    FASTREG_CD_INSTANCES(PREFIX, float, Int8F)                                                \
    FASTREG_CD_INSTANCES(PREFIX, double, Int8D)                                               \
    FASTREG_CD_INSTANCES(PREFIX, float, BedF)                                                 \
    FASTREG_CD_INSTANCES(PREFIX, double, BedD)                                                \
    FASTREG_CD_INSTANCES(PREFIX, float, Int8CovF)                                             \
    FASTREG_CD_INSTANCES(PREFIX, double, Int8CovD)                                            \
    FASTREG_CD_INSTANCES(PREFIX, float, BedCovF)                                              \
    FASTREG_CD_INSTANCES(PREFIX, double, BedCovD)                                             \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, float, Int8F)                                          \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, double, Int8D)                                         \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, float, BedF)                                           \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, double, BedD)                                          \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, float, Int8CovF)                                       \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, double, Int8CovD)                                      \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, float, BedCovF)                                        \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, double, BedCovD)

FASTREG_CD_GENOTYPE_ALL(extern template)

}  // namespace fastreg::cd

#endif  // FASTREG_CD_GENOTYPE_HPP
