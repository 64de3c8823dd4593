using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine;

/// <summary>
/// One ordered procedure as the engine sees it: an id the caller chose, the service code, units, and
/// the date of service. A CPT code is given as is; a code of another system as "system|code", which
/// no policy code matches. A null date of service is the date of the request (engine tests).
/// </summary>
public sealed record OrderedService(string OrderId, string CptCode, int Units = 1, DateRange? DateOfService = null);
