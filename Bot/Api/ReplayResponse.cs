using BotEngine.Http;
using BotEngine.Bot.Auth;
using BotEngine.Engine.Pipeline;
using BotEngine.Handoff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

public sealed record ReplayResponse(string MessageId, string ConversationId);
