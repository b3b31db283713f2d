package motoserver

// StartOnPort is start, for the test of a port moto cannot bind.
var StartOnPort = start
