namespace SpinePolicy.ReviewQueue.Cases;

/// <summary>One thing to fix in a refused form: the id of the control it concerns and what to do, in the reviewer's words.</summary>
internal sealed record FormProblem(string FieldId, string Message);
