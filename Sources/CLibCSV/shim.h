// libcsv 3.x (Debian: libcsv-dev). The header has no pkg-config file; it lives at /usr/include/csv.h.
#include <csv.h>
