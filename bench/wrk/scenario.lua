-- One wrk script for every benchmark scenario, configured through environment variables.
--
--   BENCH_MODE   get | login | json_post | post | upload
--   BENCH_PATHS  path templates separated by "|" ("%s" takes the next list entry); several
--                templates are used in turn (a mix)
--   BENCH_LIST   file with one entry per line; "value token" lines carry a Bearer token
--   BENCH_BODY   (json_post) JSON body; (upload) file to send as multipart
--   BENCH_FIELD  (upload) multipart field name;  BENCH_CTYPE  its Content-Type
--   BENCH_SLICE  1: every thread consumes its own slice of the list (pools used once)
--   BENCH_COUNT  1: count responses per status (costs a little; used for writes)
--
-- done() prints one line "BENCH_JSON {...}" with the latency percentiles in microseconds.

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local mode = os.getenv("BENCH_MODE") or "get"
local templates = {}
for t in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^|]+") do
  table.insert(templates, t)
end
local entries = {}
local index = 0
local first = 0
local last = 0
local body = nil
local content_type = nil
statuses = {} -- global: done() reads it from every thread with thread:get()
local count_statuses = os.getenv("BENCH_COUNT") == "1"
local password = os.getenv("BENCH_PASSWORD") or ""

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

function init(args)
  local list = os.getenv("BENCH_LIST")
  if list then
    for line in io.lines(list) do
      if #line > 0 then
        local value, token = string.match(line, "^(%S+)%s+(%S+)$")
        if value then
          table.insert(entries, {value, token})
        else
          table.insert(entries, {line, nil})
        end
      end
    end
  end
  local n = #entries
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  if os.getenv("BENCH_SLICE") == "1" and n > 0 then
    local per = math.floor(n / nthreads)
    first = (id - 1) * per
    index = first
    last = first + per
  else
    index = math.floor((id - 1) * n / nthreads)
    last = 0
  end
  if mode == "upload" then
    local data = read_file(os.getenv("BENCH_BODY"))
    local boundary = "----ContraVentoBench7MA4YWxkTrZu0gW"
    content_type = "multipart/form-data; boundary=" .. boundary
    body = "--" .. boundary .. "\r\n"
      .. 'Content-Disposition: form-data; name="' .. os.getenv("BENCH_FIELD")
      .. '"; filename="' .. (os.getenv("BENCH_FILENAME") or "upload.bin") .. '"\r\n'
      .. "Content-Type: " .. (os.getenv("BENCH_CTYPE") or "application/octet-stream")
      .. "\r\n\r\n" .. data .. "\r\n--" .. boundary .. "--\r\n"
  elseif mode == "json_post" then
    body = os.getenv("BENCH_BODY")
    content_type = "application/json"
  end
end

local turn = 0

function request()
  local entry = nil
  if #entries > 0 then
    if last > 0 and index >= last then
      index = first -- pool used up: start over (the driver sizes pools so this is rare)
    end
    entry = entries[(index % #entries) + 1]
    index = index + 1
  end
  turn = turn + 1
  local template = templates[((turn - 1) % #templates) + 1]
  local path = template
  if entry then
    path = string.gsub(template, "%%s", entry[1])
  end
  local headers = {}
  if entry and entry[2] then
    headers["Authorization"] = "Bearer " .. entry[2]
  end
  if mode == "get" then
    return wrk.format("GET", path, headers, nil)
  elseif mode == "login" then
    headers["Content-Type"] = "application/json"
    local payload = '{"login":"' .. entry[1] .. '","password":"' .. password .. '"}'
    return wrk.format("POST", path, headers, payload)
  elseif mode == "post" then
    return wrk.format("POST", path, headers, nil)
  else
    headers["Content-Type"] = content_type
    return wrk.format("POST", path, headers, body)
  end
end

if count_statuses then
  response = function(status, headers, body)
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  local by_status = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    if counts then
      for k, v in pairs(counts) do
        by_status[k] = (by_status[k] or 0) + v
      end
    end
  end
  local parts = {}
  for k, v in pairs(by_status) do
    table.insert(parts, string.format('"%s":%d', k, v))
  end
  io.write(string.format(
    'BENCH_JSON {"duration_us":%d,"requests":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,' ..
    '"p50":%d,"p75":%d,"p90":%d,"p95":%d,"p99":%d,"p999":%d},"statuses":{%s}}\n',
    summary.duration, summary.requests, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency:percentile(99.9),
    table.concat(parts, ",")))
end
