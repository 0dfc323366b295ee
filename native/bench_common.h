// What the C benchmark peers share: a monotonic clock and a log callback that keeps llama.cpp quiet but for errors.
#ifndef HEARTH_BENCH_COMMON_H
#define HEARTH_BENCH_COMMON_H
#include <stdio.h>
#include <time.h>
#include "llama.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void quiet_log(enum ggml_log_level level, const char * text, void * user) {
    (void) user;
    if (level == GGML_LOG_LEVEL_ERROR) fputs(text, stderr);
}

#endif
