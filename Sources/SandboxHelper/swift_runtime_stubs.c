// SwiftPM links every executable with swiftc, whose start-up object (swiftrt.o) registers the
// image with the Swift runtime. This helper has no Swift code and must start inside the sandbox,
// where the Swift runtime is not mounted: these no-ops satisfy swiftrt.o, so the static link
// pulls in no part of libswiftCore.
void swift_addNewDSOImage(const void *image);
int _swift_backtrace_isThunkFunction(const char *name);

void swift_addNewDSOImage(const void *image) { (void)image; }
int _swift_backtrace_isThunkFunction(const char *name) { (void)name; return 0; }
