using System.Net.Http.Headers;
using System.Net.Http.Json;
using BotEngine.Bot.Tests.Flow;
using BotEngine.Channels.DirectLine;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Clients;

/// <summary>Rates a flow client's conversation through the widget's endpoint, with a token the engine issues for it.</summary>
public sealed class WidgetRater(HttpClient http, FlowEngine engine)
{
    public async Task<HttpResponseMessage> RateAsync(string conversationId, int rating, string? comment = null)
    {
        var token = engine.Services.GetRequiredService<DirectLineAuth>().Issue(conversationId, null);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/widget/v1/conversations/{conversationId}/rating") { Content = JsonContent.Create(new { rating, comment }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }
}
