using SpinePolicy.PolicyEngine.Necessity;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Submission;

namespace SpinePolicy.PriorAuthorization.Decision;

/// <summary>The decision on one claim line: the X12 action and the engine's determination behind it.</summary>
internal sealed record LineDecision(ClaimLine Line, ReviewAction Action, Determination? Determination);
