namespace BotEngine.SampleAgent;

/// <summary><c>dotnet run --project tests/SampleAgent -- --urls http://127.0.0.1:5090 --secret S</c></summary>
public static class Program
{
    public static async Task Main(string[] args) => await WeatherAgent.Build(args).RunAsync();
}
