/**
 * `node --require usage-preload.js …`: when the process exits, writes its own resource usage (CPU, peak RSS)
 * as JSON to $BENCH_USAGE_FILE. Used by the benchmarks on the connector CLI; nothing else of the CLI changes.
 */
import * as fs from 'node:fs';

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', (code) => {
    const ru = process.resourceUsage();
    fs.writeFileSync(
      file,
      JSON.stringify({
        code,
        userCpuMs: ru.userCPUTime / 1000,
        systemCpuMs: ru.systemCPUTime / 1000,
        // ru_maxrss: kilobytes on Linux.
        maxRssBytes: ru.maxRSS * 1024,
        uptimeMs: process.uptime() * 1000,
        heapUsedBytes: process.memoryUsage().heapUsed,
      }),
    );
  });
}
