// GLPK 5 (Debian: libglpk-dev), the linear-programming solver disclosure control audits its own
// choices with. The header has no pkg-config file; it lives at /usr/include/glpk.h.
#include <glpk.h>
