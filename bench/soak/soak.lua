-- Soak mix for wrk: a CRD order-sign with complete prefetch (decides and stores an assertion, so
-- the database grows as in production), the CapabilityStatement, a ClaimResponse search, readiness.
-- SOAK_CDS_BODY names the hook request file.

local requests = {}
local counter = 0

function init(args)
  local f = assert(io.open(os.getenv("SOAK_CDS_BODY"), "rb"))
  local hook = f:read("*a")
  f:close()
  requests = {
    wrk.format("POST", "/cds-services/order-sign-crd", { ["Content-Type"] = "application/json" }, hook),
    wrk.format("POST", "/cds-services/order-sign-crd", { ["Content-Type"] = "application/json" }, hook),
    wrk.format("GET", "/fhir/metadata", { ["Accept"] = "application/fhir+json" }),
    wrk.format("GET", "/fhir/ClaimResponse?_count=5", { ["Accept"] = "application/fhir+json" }),
    wrk.format("GET", "/readyz"),
  }
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

-- Count what is not 2xx per status so the summary can say what went wrong.
local statuses = {}
function response(status, headers, body)
  if status < 200 or status > 299 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("SOAK requests=%d socket_errors=%d timeouts=%d non2xx=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
