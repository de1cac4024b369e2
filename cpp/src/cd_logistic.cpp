// Explicit instantiations of the logistic path driver (declared extern in
// fastreg/cd/logistic_path.hpp) for every design of the Gaussian path.
#include "fastreg/cd/logistic_path.hpp"

namespace fastreg::cd {

FASTREG_LOGISTIC_ALL(template)

}  // namespace fastreg::cd
