namespace BotEngine.Http;

public static class HttpRequestOrigin
{
    /// <summary>The root the client reached the engine at (scheme, host and path base): links built from it work for that client.</summary>
    public static string Origin(this HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
