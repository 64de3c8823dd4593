using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;

namespace SpinePolicy.ReviewQueue.Security;

/// <summary>
/// A form that arrives without this site's antiforgery token (a cross-site forgery, or a page kept
/// open past the token's life) is refused with 400 and a page saying what to do, not an empty answer.
/// </summary>
internal sealed class AntiforgeryFailurePage : IAlwaysRunResultFilter
{
    public const string Html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Form refused – SpinePolicy review</title><link rel="stylesheet" href="/review/review.css"></head>
        <body><main id="main"><h1>Form refused</h1>
        <p role="alert">The form did not carry this site's security token, so nothing was recorded. Open the request again from the <a href="/review/">queue</a> and resubmit.</p>
        </main></body></html>
        """;

    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.Result = new ContentResult { StatusCode = StatusCodes.Status400BadRequest, ContentType = "text/html; charset=utf-8", Content = Html };
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
