using System.Text.Json.Nodes;
using BotEngine.Bot.Middleware;
using BotEngine.Engine.Desk;
using BotEngine.Engine.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Middleware;

/// <summary>The engine's refusals become 4xx responses in the shape of the route they happened on.</summary>
public sealed class DomainExceptionHandlerTests
{
    [Fact]
    public async Task A_desk_refusal_keeps_its_status_and_code_as_problem_details()
    {
        var (handled, status, body) = await HandleAsync("/api/v1/dialogs/d1/close", new DeskException(409, "The dialog is closed.", "dialog_closed"));
        Assert.True(handled);
        Assert.Equal(409, status);
        Assert.Equal("The dialog is closed.", body["detail"]!.GetValue<string>());
        Assert.Equal("dialog_closed", body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_accounts_conversation_is_forbidden_in_direct_lines_shape()
    {
        var (handled, status, body) = await HandleAsync("/v3/directline/conversations/c1/activities", new ForeignAccountException("c1"));
        Assert.True(handled);
        Assert.Equal(403, status);
        Assert.Contains("c1", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_exceptions_are_left_to_the_generic_handler()
    {
        var (handled, _, _) = await HandleAsync("/api/v1/dialogs", new InvalidOperationException("bug"));
        Assert.False(handled);
    }

    private static async Task<(bool Handled, int Status, JsonNode Body)> HandleAsync(string path, Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        var handled = await new DomainExceptionHandler().TryHandleAsync(context, exception, CancellationToken.None);
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (handled, context.Response.StatusCode, handled ? JsonNode.Parse(text)! : new JsonObject());
    }
}
