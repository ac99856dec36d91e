namespace BotEngine.Bot.Tests.Workplace;

/// <summary>An operator's server-sent event stream (/api/v1/events) read line by line; disposing it is closing the page.</summary>
public sealed class EventStream : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    /// <summary>Connects and returns once the engine has said it is connected (the subscription exists from then on).</summary>
    public static async Task<EventStream> OpenAsync(HttpClient operatorClient)
    {
        var response = await operatorClient.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/events"), HttpCompletionOption.ResponseHeadersRead).WaitAsync(Wait);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var stream = new EventStream(response, reader);
        while (await stream.ReadLineAsync() is { } line && !line.StartsWith(": connected", StringComparison.Ordinal))
        {
        }
        return stream;
    }

    /// <summary>The next event's data, skipping comments (keep-alives).</summary>
    public async Task<string> NextDataAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new InvalidOperationException("The event stream ended.");
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                return line["data: ".Length..];
        }
    }

    private Task<string?> ReadLineAsync() => _reader.ReadLineAsync().WaitAsync(Wait);

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
