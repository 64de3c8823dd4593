namespace SpinePolicy.TestKit.Validation;

/// <summary>
/// What the validator said about one resource against one or more profiles, after removing the
/// documented validator noise (<see cref="KnownValidatorNoise"/>), which is kept apart for review.
/// </summary>
public sealed class ValidationResult
{
    public ValidationResult(IReadOnlyList<string> profiles, IReadOnlyList<ValidationIssue> issues, IReadOnlyList<ValidationIssue> suppressed)
    {
        Profiles = profiles;
        Issues = issues;
        Suppressed = suppressed;
    }

    /// <summary>The profiles validated against.</summary>
    public IReadOnlyList<string> Profiles { get; }

    /// <summary>Every reported issue (all severities) that is not known noise.</summary>
    public IReadOnlyList<ValidationIssue> Issues { get; }

    /// <summary>Issues matched by the allow-list, for anyone who wants to look.</summary>
    public IReadOnlyList<ValidationIssue> Suppressed { get; }

    public IReadOnlyList<ValidationIssue> Errors => Issues.Where(i => i.IsError).ToList();

    public IReadOnlyList<ValidationIssue> Warnings => Issues.Where(i => i.IsWarning).ToList();

    public bool Conforms => !Issues.Any(i => i.IsError);

    /// <summary>One line per error, for assertion messages.</summary>
    public string DescribeErrors() =>
        string.Join(Environment.NewLine, Errors.Select(e => "  " + e));

    public override string ToString() =>
        $"{(Conforms ? "conforms" : $"{Errors.Count} error(s)")} to {string.Join(", ", Profiles)}";
}
