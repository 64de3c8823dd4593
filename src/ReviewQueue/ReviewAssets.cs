namespace SpinePolicy.ReviewQueue;

/// <summary>The stylesheet (embedded) and the fixed pages shown when no sign-in is configured and for an unknown address.</summary>
internal static class ReviewAssets
{
    public static string Stylesheet { get; } = ReadStylesheet();

    public const string NotConfiguredHtml = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Reviewer queue unavailable – SpinePolicy</title><link rel="stylesheet" href="/review/review.css"></head>
        <body><main id="main"><h1>Reviewer queue unavailable</h1>
        <p>No identity provider is configured for reviewer sign-in. Set <code>ReviewQueue:Oidc:Authority</code> and <code>ReviewQueue:Oidc:ClientId</code> (see the README) and restart the server.</p>
        </main></body></html>
        """;

    /// <summary>Any address under /review/ that no page serves.</summary>
    public const string NotFoundHtml = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Page not found – SpinePolicy reviewer queue</title><link rel="stylesheet" href="/review/review.css"></head>
        <body><main id="main"><h1>Page not found</h1>
        <p>Nothing in the reviewer queue is at this address. Check the link, or go to the <a href="/review/">pended requests</a>.</p>
        </main></body></html>
        """;

    private static string ReadStylesheet()
    {
        using var stream = typeof(ReviewAssets).Assembly.GetManifestResourceStream("review.css")
            ?? throw new InvalidOperationException("The review stylesheet is not embedded in " + typeof(ReviewAssets).Assembly.GetName().Name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
