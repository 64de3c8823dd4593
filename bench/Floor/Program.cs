using System.Collections.Concurrent;

// The floor: what ASP.NET Core itself costs to receive a request and send an answer of a given
// size, with nothing of ours in between. bench/run measures it with the same request bodies and
// the same answer sizes as each real scenario, in the same run, so that every figure is also a
// ratio to what the framework can do on this machine at this moment.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

var app = builder.Build();
var bodies = new ConcurrentDictionary<int, byte[]>();

app.MapGet("/floor/{size:int}", (int size) => Answer(bodies, size));
app.MapPost("/floor/{size:int}", async (int size, HttpRequest request, CancellationToken cancellationToken) =>
{
    // Read the whole request body, as the real endpoints must before they can parse it.
    await request.Body.CopyToAsync(Stream.Null, cancellationToken);
    return Answer(bodies, size);
});
app.MapGet("/healthz", () => TypedResults.Ok());

await app.RunAsync();

static IResult Answer(ConcurrentDictionary<int, byte[]> bodies, int size) =>
    TypedResults.Bytes(bodies.GetOrAdd(Math.Clamp(size, 0, 16 * 1024 * 1024), FixedBody), "application/json");

// A JSON string of the requested length, so content type and size match the real answer.
static byte[] FixedBody(int size)
{
    var body = new byte[size];
    Array.Fill(body, (byte)'x');
    if (size >= 2)
    {
        body[0] = (byte)'"';
        body[^1] = (byte)'"';
    }

    return body;
}
