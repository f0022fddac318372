"""``python -m sparklet_kernel -f CONNECTION_FILE``: start the Sparklet kernel."""

from ipykernel.kernelapp import IPKernelApp

from .kernel import SparkletKernel

IPKernelApp.launch_instance(kernel_class=SparkletKernel)
