/* Wine 8 (Debian 12's) has no bcryptprimitives.dll, from which Rust's
 * standard library takes ProcessPrng for its random numbers on Windows.
 * This stand-in answers it with RtlGenRandom (SystemFunction036), which
 * Wine has. Used only by .ci/windows, to run the Windows build here. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
