namespace SpinePolicy.Storage.Relational;

/// <summary>A parameter value that is a JSON document (PostgreSQL stores it as jsonb, SQLite as text).</summary>
public sealed record JsonText(string Text);
