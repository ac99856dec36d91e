using BotEngine.Bot.Files;
using BotEngine.Bot.Middleware;
using BotEngine.Engine;
using BotEngine.Bot.Api;
using BotEngine.Bot.Auth;
using BotEngine.Channels.DirectLine;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Files;
using BotEngine.Http;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Bot.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot;

public sealed class StorageOptions
{
    public string DataDir { get; set; } = "./data";
}
