namespace SpinePolicy.PolicyEngine.Necessity;

/// <summary>An answer to one policy criterion, already translated from whatever form carried it.</summary>
public abstract record CriterionAnswer;

public sealed record BooleanAnswer(bool Value) : CriterionAnswer;

public sealed record NumberAnswer(decimal Value) : CriterionAnswer;

/// <summary>One or more coded answers: a choice, or a set of vertebral levels.</summary>
public sealed record CodesAnswer(IReadOnlyList<string> Codes) : CriterionAnswer;
