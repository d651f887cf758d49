// What the shared library exports. It is built with every symbol hidden
// (-fvisibility=hidden); only the declarations marked GUESTADDR_API are its
// ABI, so that nothing internal can be linked against by accident.
#pragma once

#if defined(_WIN32)
#define GUESTADDR_API
#else
#define GUESTADDR_API __attribute__((visibility("default")))
#endif
