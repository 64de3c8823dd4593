-- wrk script shared by every scenario (bench/run sets the environment):
--   BENCH_METHOD        GET or POST
--   BENCH_BODY          file whose content is the request body (POST)
--   BENCH_CONTENT_TYPE  Content-Type of the body
--   BENCH_PATH          request path; overrides the URL's path when set
--   BENCH_PATIENTS      when > 0, "{{patient}}" in the path becomes a random patient number
-- "{{unique}}" in the body becomes a value unique to each request (thread id and counter), so that
-- idempotent endpoints (Claim/$submit) decide every request instead of replaying a stored answer.
-- "{{member}}" in the body becomes one of BENCH_MEMBERS member numbers (default 20,000) drawn per
-- request, so that a load of submits spreads over members as a payer's traffic does.

local method = os.getenv("BENCH_METHOD") or "GET"
local body_file = os.getenv("BENCH_BODY")
local content_type = os.getenv("BENCH_CONTENT_TYPE") or "application/json"
local fixed_path = os.getenv("BENCH_PATH")
local patients = tonumber(os.getenv("BENCH_PATIENTS") or "0")
local members = tonumber(os.getenv("BENCH_MEMBERS") or "20000")
-- Distinguishes runs (warm-up, measurement, floor) so that no two runs send the same unique value.
local run_id = os.getenv("BENCH_RUN") or tostring(os.time())

local body = nil
if body_file ~= nil and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  body = f:read("*a")
  f:close()
end
local unique_body = body ~= nil and string.find(body, "{{unique}}", 1, true) ~= nil
local member_body = body ~= nil and string.find(body, "{{member}}", 1, true) ~= nil

local counter = 0
-- thread_tag is a global: setup() sets it in each thread's own Lua state.
thread_tag = "t"

function setup(thread)
  thread_count = (thread_count or 0) + 1
  thread:set("thread_tag", run_id .. "-" .. tostring(thread_count))
end

function init(args)
  math.randomseed(os.time() + string.len(thread_tag) + (tonumber(string.match(thread_tag, "%d+$")) or 0))
  wrk.method = method
  wrk.headers["Content-Type"] = content_type
  wrk.headers["Accept"] = "application/json, application/fhir+json"
  if body ~= nil and not unique_body then
    wrk.body = body
  end
end

function request()
  local path = fixed_path
  if path == nil or path == "" then
    path = wrk.path
  end
  if patients > 0 then
    path = string.gsub(path, "{{patient}}", string.format("%06d", math.random(0, patients - 1)))
  end
  if unique_body then
    counter = counter + 1
    local tag = thread_tag .. "-" .. tostring(counter)
    local text = string.gsub(body, "{{unique}}", tag)
    if member_body then
      text = string.gsub(text, "{{member}}", string.format("%06d", math.random(0, members - 1)))
    end
    return wrk.format(method, path, nil, text)
  end
  return wrk.format(method, path, nil, body)
end
