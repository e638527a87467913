// The hints are static inline functions in include/CompilerHints.h; a C target needs a source file.
#include "CompilerHints.h"
