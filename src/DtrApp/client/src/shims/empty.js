// Stands in for Node modules that browser code paths never reach (fs: model info is given as XML
// text, not a file; stream: sax runs without streaming) and for FHIR model infos other than 4.0.1.
export default {};
