// Explicit instantiations of the coordinate-descent solvers on genotype designs (declared
// extern in fastreg/cd/genotype.hpp).
#include "fastreg/cd/genotype.hpp"

namespace fastreg::cd {

FASTREG_CD_GENOTYPE_ALL(template)

}  // namespace fastreg::cd
