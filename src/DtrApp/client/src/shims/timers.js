// xml2js (used by cql-exec-fhir to read its FHIR model info) asks Node's "timers" for setImmediate.
export function setImmediate(callback, ...args) {
  return setTimeout(callback, 0, ...args);
}

export function clearImmediate(handle) {
  clearTimeout(handle);
}
