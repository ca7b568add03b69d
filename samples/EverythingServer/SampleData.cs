using System.Text.Json;

namespace EverythingServer;

/// <summary>Small fixed assets and helpers the sample uses.</summary>
internal static class SampleData
{
    /// <summary>A 1x1 PNG.</summary>
    public const string PngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    /// <summary>A tiny WAV file: 44-byte header and 8 samples of silence, 8 kHz mono 8-bit.</summary>
    public static string WavBase64 { get; } = Convert.ToBase64String(CreateWav());

    /// <summary>Parses a JSON Schema literal.</summary>
    public static JsonElement Schema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static byte[] CreateWav()
    {
        const int samples = 8;
        var wav = new byte[44 + samples];
        void Write(int offset, string ascii) => System.Text.Encoding.ASCII.GetBytes(ascii).CopyTo(wav, offset);
        void Int32(int offset, int value) => BitConverter.TryWriteBytes(wav.AsSpan(offset), value);
        void Int16(int offset, short value) => BitConverter.TryWriteBytes(wav.AsSpan(offset), value);
        Write(0, "RIFF");
        Int32(4, 36 + samples);
        Write(8, "WAVEfmt ");
        Int32(16, 16);
        Int16(20, 1);
        Int16(22, 1);
        Int32(24, 8000);
        Int32(28, 8000);
        Int16(32, 1);
        Int16(34, 8);
        Write(36, "data");
        Int32(40, samples);
        wav.AsSpan(44).Fill(128);
        return wav;
    }
}
