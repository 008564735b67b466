-- report.lua: appended to every script: prints one machine-readable line.
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p99_ms=%.3f errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000.0,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
