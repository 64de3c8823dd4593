namespace SpinePolicy.TestKit.Logging;

/// <summary>A piece of patient data a test sent (a name, a birth date, a member id) and what it is.</summary>
public sealed record PhiValue(string Kind, string Value)
{
    /// <summary>For messages about a finding: enough to find the source, not the value itself.</summary>
    public string Masked => Value.Length <= 2 ? new string('*', Value.Length) : $"{Value[0]}{new string('*', Value.Length - 2)}{Value[^1]}";
}
