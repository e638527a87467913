// What libcsv allows: two C programs that bound how fast any `cof compare` built on libcsv can be.
//
//   libcsv_floor parse EVENTS THREADS
//       libcsv alone: every byte through csv_parse, callbacks that do nothing but count.
//   libcsv_floor job EVENTS INTERVENTIONS UNIT_COSTS THREADS
//       the least the before/after job can do per row on top of libcsv, written as tightly as we
//       know how: hash the person ID at its field and prefetch a cache-sized Bloom filter word,
//       test it at the row's end and batch the survivors' table probes (prefetched) 32 at a time;
//       code service and event through a per-thread direct-mapped cache; decode and check the
//       ISO date, quantity and cost; check the field count; price from a grid; add a followed
//       person's event to its window's totals. It reads the interventions and unit costs too. It
//       does NOT keep line numbers or rejects, name errors, count unpriced pairs, check for
//       overflow, restate prices, follow calendar-month windows, or write any result: a lower
//       bound on cof's work, not an implementation of it.
//
// Both split the file at line ends into THREADS parts (the generated data has no quoted line
// breaks) and run one libcsv parser per part, with cof's options and buffer size.
// scripts/bench-vs-peers builds this with `cc -O2` and runs it alternately with cof, DuckDB and
// Polars, printing each time as a multiple of the parse alone.
#include <csv.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { MAX_NAMES = 256, CACHE = 1024, BATCH = 32 };

typedef struct { char bytes[64]; int len; } Name;
static Name services[MAX_NAMES], events[MAX_NAMES];
static int serviceCount, eventCount;
static pthread_mutex_t namesLock = PTHREAD_MUTEX_INITIALIZER;
static int64_t grid[MAX_NAMES][MAX_NAMES];  // unit cost in pence by service, event
static uint64_t *filter, filterMask;
typedef struct { char id[32]; int len; int code; } Slot;
static Slot *slots;
static uint64_t slotMask;
static int *indexDay;
static int people;

static inline uint64_t hash(const unsigned char *b, size_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) { uint64_t w; memcpy(&w, b + i, 8); h = (h ^ w) * 0xBF58476D1CE4E5B9ull; h ^= h >> 29; }
    if (i < n) { uint64_t w = 0; memcpy(&w, b + i, n - i); h = (h ^ w) * 0xBF58476D1CE4E5B9ull; h ^= h >> 29; }
    return h * 0x94D049BB133111EBull;
}

static inline uint64_t filterBits(uint64_t h) { return (1ull << ((h >> 20) & 63)) | (1ull << ((h >> 26) & 63)); }

static int personCode(const char *b, size_t n, uint64_t h) {
    for (uint64_t i = h & slotMask;; i = (i + 1) & slotMask) {
        if (slots[i].code < 0) return -1;
        if (slots[i].len == (int)n && !memcmp(slots[i].id, b, n)) return slots[i].code;
    }
}

static int nameCode(Name *names, int *count, const char *b, size_t n) {
    if (n > 63) n = 63;
    pthread_mutex_lock(&namesLock);
    int code = -1;
    for (int i = 0; i < *count && code < 0; i++) if (names[i].len == (int)n && !memcmp(names[i].bytes, b, n)) code = i;
    if (code < 0 && *count < MAX_NAMES) { code = (*count)++; memcpy(names[code].bytes, b, n); names[code].len = n; }
    pthread_mutex_unlock(&namesLock);
    return code < 0 ? 0 : code;
}

static int days(int y, int m, int d) {  // days since 1970-01-01 (proleptic Gregorian)
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

typedef struct { int len, code; char bytes[56]; } Cached;
typedef struct { uint64_t hash; int len, service, day; char id[32]; int64_t cost; } Candidate;
typedef struct {
    int field, bad, service, event, day, quantity, hasCost, idLen;
    int64_t cost, rows, rejected, kept;
    uint64_t hash;
    char id[32];
    Cached serviceCache[CACHE], eventCache[CACHE];
    Candidate candidates[BATCH];
    int candidateCount;
    int64_t *totals;  // by person, service (mod 16), before/after
} State;

static inline int cachedName(Cached *cache, Name *names, int *count, const unsigned char *b, size_t n) {
    Cached *entry = &cache[hash(b, n) & (CACHE - 1)];
    if (entry->len == (int)n && !memcmp(entry->bytes, b, n)) return entry->code;
    int code = nameCode(names, count, (const char *)b, n);
    if (n <= sizeof entry->bytes) { entry->len = n; memcpy(entry->bytes, b, n); entry->code = code; }
    return code;
}

static void resolve(State *st) {
    for (int i = 0; i < st->candidateCount; i++) __builtin_prefetch(&slots[st->candidates[i].hash & slotMask]);
    for (int i = 0; i < st->candidateCount; i++) {
        Candidate *c = &st->candidates[i];
        int person = personCode(c->id, c->len, c->hash);
        if (person < 0) continue;
        int delta = c->day - indexDay[person];
        if (delta >= -365 && delta < 365) { st->totals[(person * 16 + (c->service & 15)) * 2 + (delta >= 0)] += c->cost; st->kept++; }
    }
    st->candidateCount = 0;
}

static void onJobField(void *s, size_t n, void *data) {
    State *st = data;
    const unsigned char *b = s;
    switch (st->field++) {
    case 0:
        st->hash = hash(b, n);
        __builtin_prefetch(&filter[(st->hash >> 40) & filterMask]);
        st->idLen = n < 32 ? n : 32;
        memcpy(st->id, b, st->idLen);
        st->bad |= n == 0;
        break;
    case 1: st->service = cachedName(st->serviceCache, services, &serviceCount, b, n); break;
    case 2: st->event = cachedName(st->eventCache, events, &eventCount, b, n); break;
    case 3: {
        static const int monthDays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int ok = n == 10 && b[4] == '-' && b[7] == '-';
        for (int i = 0; ok && i < 10; i++) if (i != 4 && i != 7 && (unsigned)(b[i] - '0') > 9) ok = 0;
        int y = 0, m = 0, d = 0;
        if (ok) {
            y = (b[0] - '0') * 1000 + (b[1] - '0') * 100 + (b[2] - '0') * 10 + (b[3] - '0');
            m = (b[5] - '0') * 10 + (b[6] - '0');
            d = (b[8] - '0') * 10 + (b[9] - '0');
            ok = m >= 1 && m <= 12 && d >= 1 && d <= monthDays[m] && (m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
        }
        st->bad |= !ok;
        st->day = ok ? days(y, m, d) : 0;
        break;
    }
    case 4: {
        int q = 0;
        for (size_t i = 0; i < n; i++) { st->bad |= (unsigned)(b[i] - '0') > 9; q = q * 10 + b[i] - '0'; }
        st->bad |= n > 9;
        st->quantity = n ? q : 1;
        break;
    }
    case 5: {
        int64_t c = 0;
        int point = -1;
        for (size_t i = 0; i < n; i++) {
            if (b[i] == '.' && point < 0) point = (int)i;
            else { st->bad |= (unsigned)(b[i] - '0') > 9; c = c * 10 + b[i] - '0'; }
        }
        st->bad |= n > 18 || (point >= 0 && (int)n - point - 1 > 2);
        st->hasCost = n > 0;
        st->cost = point >= 0 && (int)n - point - 1 == 1 ? c * 10 : point < 0 ? c * 100 : c;
        break;
    }
    default: st->bad = 1;
    }
}

static void onJobRow(int terminator, void *data) {
    (void)terminator;
    State *st = data;
    if (st->field == 0) return;  // a blank line, or the LF of a CRLF
    int bad = st->field != 6 || st->bad;
    st->field = 0;
    st->bad = 0;
    if (bad) { st->rejected++; return; }  // the header lands here too
    st->rows++;
    int64_t cost = st->hasCost ? st->cost : grid[st->service][st->event] * st->quantity;
    uint64_t bits = filterBits(st->hash);
    if ((filter[(st->hash >> 40) & filterMask] & bits) != bits) return;
    Candidate *c = &st->candidates[st->candidateCount++];
    c->hash = st->hash;
    c->len = st->idLen;
    memcpy(c->id, st->id, sizeof c->id);
    c->service = st->service;
    c->day = st->day;
    c->cost = cost;
    if (st->candidateCount == BATCH) resolve(st);
}

static void onCountField(void *s, size_t n, void *data) { (void)s; ((State *)data)->cost += n; }
static void onCountRow(int terminator, void *data) { (void)terminator; ((State *)data)->rows++; }

typedef struct { const char *path; off_t start, end; int job; State *state; } Part;

static void *runPart(void *argument) {
    Part *part = argument;
    struct csv_parser parser;
    csv_init(&parser, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI);
    csv_set_blk_size(&parser, 1 << 16);
    void (*onField)(void *, size_t, void *) = part->job ? onJobField : onCountField;
    void (*onRow)(int, void *) = part->job ? onJobRow : onCountRow;
    int fd = open(part->path, O_RDONLY);
    size_t capacity = 1 << 20;
    char *buffer = malloc(capacity);
    for (off_t at = part->start; at < part->end;) {
        size_t want = part->end - at < (off_t)capacity ? (size_t)(part->end - at) : capacity;
        ssize_t got = pread(fd, buffer, want, at);
        if (got <= 0) break;
        csv_parse(&parser, buffer, got, onField, onRow, part->state);
        at += got;
    }
    csv_fini(&parser, onField, onRow, part->state);
    if (part->job) resolve(part->state);
    csv_free(&parser);
    close(fd);
    free(buffer);
    return NULL;
}

static void loadCohort(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    char line[1024];
    size_t rows = 0, capacity = 16;
    while (fgets(line, sizeof line, f)) rows++;
    while (capacity < rows) capacity *= 2;
    rewind(f);
    slots = malloc(sizeof(Slot) * capacity * 2);
    slotMask = capacity * 2 - 1;
    for (size_t i = 0; i <= slotMask; i++) slots[i].code = -1;
    size_t words = 8;
    while (words * 64 < capacity * 10) words *= 2;
    filter = calloc(words, 8);
    filterMask = words - 1;
    indexDay = malloc(sizeof(int) * capacity);
    if (!fgets(line, sizeof line, f)) exit(2);  // the header
    while (fgets(line, sizeof line, f)) {
        char *comma = strchr(line, ',');
        if (!comma || comma - line > 32) continue;
        size_t n = comma - line;
        uint64_t h = hash((unsigned char *)line, n);
        const char *start = comma + 1;
        int day = days(atoi(start), atoi(start + 5), atoi(start + 8));
        int known = personCode(line, n, h);
        if (known >= 0) { if (day < indexDay[known]) indexDay[known] = day; continue; }
        filter[(h >> 40) & filterMask] |= filterBits(h);
        uint64_t i = h & slotMask;
        while (slots[i].code >= 0) i = (i + 1) & slotMask;
        memcpy(slots[i].id, line, n);
        slots[i].len = n;
        slots[i].code = people;
        indexDay[people++] = day;
    }
    fclose(f);
}

static void loadUnitCosts(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    char line[1024];
    if (!fgets(line, sizeof line, f)) exit(2);
    while (fgets(line, sizeof line, f)) {
        char *event = strchr(line, ',');
        char *cost = event ? strchr(event + 1, ',') : NULL;
        if (!cost) continue;
        event++;
        cost++;
        int s = nameCode(services, &serviceCount, line, event - line - 1);
        int e = nameCode(events, &eventCount, event, cost - event - 1);
        grid[s][e] = (int64_t)(atof(cost) * 100 + 0.5);
    }
    fclose(f);
}

int main(int argc, char **argv) {
    int job = argc == 6 && !strcmp(argv[1], "job");
    if (!job && !(argc == 4 && !strcmp(argv[1], "parse"))) {
        fprintf(stderr, "usage: %s parse EVENTS THREADS | job EVENTS INTERVENTIONS UNIT_COSTS THREADS\n", argv[0]);
        return 64;
    }
    struct timespec started, ended;
    clock_gettime(CLOCK_MONOTONIC, &started);
    const char *path = argv[2];
    int threads = atoi(argv[job ? 5 : 3]);
    if (threads < 1 || threads > 64) return 64;
    if (job) { loadCohort(argv[3]); loadUnitCosts(argv[4]); }
    struct stat info;
    if (stat(path, &info) != 0) { perror(path); return 2; }
    Part parts[64];
    pthread_t workers[64];
    int fd = open(path, O_RDONLY);
    off_t start = 0;
    for (int i = 0; i < threads; i++) {
        off_t end = info.st_size * (i + 1) / threads;
        char byte;
        if (i + 1 < threads) while (end < info.st_size && pread(fd, &byte, 1, end - 1) == 1 && byte != '\n') end++;
        else end = info.st_size;
        State *state = calloc(1, sizeof(State));
        if (job) state->totals = calloc((size_t)people * 32, sizeof(int64_t));
        parts[i] = (Part){path, start, end, job, state};
        pthread_create(&workers[i], NULL, runPart, &parts[i]);
        start = end;
    }
    close(fd);
    int64_t rows = 0, rejected = 0, kept = 0, checksum = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(workers[i], NULL);
        State *state = parts[i].state;
        rows += state->rows;
        rejected += state->rejected;
        kept += state->kept;
        if (job) for (size_t k = 0; k < (size_t)people * 32; k++) checksum += state->totals[k];
        else checksum += state->cost;
    }
    clock_gettime(CLOCK_MONOTONIC, &ended);
    double seconds = (ended.tv_sec - started.tv_sec) + (ended.tv_nsec - started.tv_nsec) / 1e9;
    fprintf(stderr, "%s, %d threads: %.3f s; %lld rows, %lld rejected (the header), %lld kept, checksum %lld\n", argv[1], threads,
            seconds, (long long)rows, (long long)rejected, (long long)kept, (long long)checksum);
    return 0;
}
