namespace SpinePolicy.CdsHooks.Tests.Support;

/// <summary>
/// The CRD app with a generous EHR fetch deadline, for tests whose orders come from the fake EHR and
/// that are about the answer, not about the deadline: on a loaded CI machine the production 2 s
/// measures the machine, not the server.
/// </summary>
public sealed class UnhurriedCrdApp() : CrdApp(new Dictionary<string, string?> { ["CdsHooks:FetchDeadline"] = "00:00:20" });
